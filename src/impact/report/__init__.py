"""Reports: parameterised notebooks run by papermill, exported and published atomically.

``params`` checks a report's YAML file, ``runner`` executes and publishes, ``export`` makes
the HTML page, ``publish`` owns run.json and the atomic swap, ``index`` lists the reports,
``sections`` is the content the notebooks call, ``catalogue`` every word in zh and en.
"""
