"""Airflow DAG: regenerate every impact report nightly.

One task runs ``impact run --all``; the runner itself holds the output folder's lock, skips
unchanged reports, keeps every good report when one fails, and appends one JSON line per
report to the log. Exit statuses (docs/scheduling.md): 0 all ok or skipped; 1 a report
failed (its previous report kept); 2 a parameters file is wrong (nothing ran); 3 the output
folder cannot be written; 75 another run holds the folder (retried); 130 interrupted.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator

IMPACT_HOME = "/srv/impact"
COMMAND = (
    ".venv/bin/impact run --all --params-dir params --out reports --jobs 2 "
    "--wait 600 --log logs/runs.jsonl --quiet"
)

with DAG(
    dag_id="impact_reports",
    description="Regenerate the programme reports",
    schedule="30 2 * * *",
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=15)},
    tags=["impact"],
) as dag:
    BashOperator(
        task_id="impact_run_all",
        bash_command=COMMAND,
        cwd=IMPACT_HOME,
        execution_timeout=timedelta(hours=2),
    )
