"""data/published holds every headline figure of ../shared/DOMAIN.md with the value stated
there. The figures below are transcribed by hand from DOMAIN.md ("Headline figures they
publish"); a second test scans DOMAIN.md itself when it sits beside the repository."""

import re

import pytest

import impact

from .conftest import ROOT

# (programme, indicator, category or "", value) as DOMAIN.md states them
FIGURES = [
    ("lishui", "applicants", "", 25),
    ("lishui", "funded_projects", "", 15),
    ("lishui", "matched_projects", "", 3),
    ("lishui", "matched_social_money_yuan", "", 12000),
    ("lishui", "match_ratio", "", 1),
    ("lishui", "grant_min_yuan", "", 2000),
    ("lishui", "grant_max_yuan", "", 10000),
    ("lishui", "implementation_months", "", 3),
    ("lishui", "core_team", "", 211),
    ("lishui", "activities", "", 141),
    ("lishui", "other_actors_mobilised", "", 2161),
    ("lishui", "issues_solved", "", 39),
    ("lishui", "residents_served", "", 13903),
    ("lishui", "leveraged_yuan", "", 62619),
    ("lishui", "videos", "", 5),
    ("lishui", "posts", "", 51),
    ("lishui", "reads", "", 20392),
    ("lishui", "mechanisms", "", 2),
    ("lishui", "popularity_vote_winners", "", 5),
    ("lishui", "most_effective_awards", "", 3),
    ("lishui", "consultation_meetings", "community farm project", 4),
    ("lishui", "consultation_participants", "community farm project", 38),
    ("lishui", "volunteers", "community farm project", 79),
    ("lishui", "vegetable_deliveries", "community farm project", 11),
    ("lishui", "elders_served", "community farm project", 361),
    ("lishui", "charity_days", "community farm project", 3),
    ("lishui", "charity_raised_yuan", "community farm project", 489),
    ("lishui", "wishes_fulfilled", "community farm project", 9),
    ("hongshan", "funnel", "idea", 2336),
    ("hongshan", "funnel", "shortlisted", 376),
    ("hongshan", "funnel", "approved", 190),
    ("hongshan", "funnel", "signed", 185),
    ("hongshan", "projects_by_beneficiary", "disabled", 6),
    ("hongshan", "projects_by_beneficiary", "elderly", 58),
    ("hongshan", "projects_by_beneficiary", "youth", 30),
    ("hongshan", "projects_by_beneficiary", "special_groups", 14),
    ("hongshan", "projects_by_beneficiary", "comprehensive", 77),
    ("hongshan", "activities", "", 9175),
    ("hongshan", "paid_out_yuan", "", 686404.16),
    ("hongshan", "people_started_business", "", 153),
    ("hongshan", "people_found_jobs", "", 554),
    ("hongshan", "volunteer_person_times", "", 24598),
    ("hongshan", "residents_served", "", 253537),
    ("hongshan", "organisations_running_projects", "", 113),
    ("hongshan", "organisations_formed", "", 649),
    ("hongshan", "organisations_registered", "", 66),
    ("hongshan", "funding_share", "foundation", 0.60),
    ("hongshan", "funding_share", "public_finance", 0.40),
    ("hongshan", "district_trainings", "", 3),
    ("hongshan", "coaching_sessions", "", 38),
    ("hongshan", "guidance_visits", "", 500),
    ("hongshan", "expert_sessions", "", 10),
    ("hongshan", "monitoring_visits", "", 93),
    ("hongshan", "party_members_cultivated", "", 395),
    ("weifang_xincun", "funded_projects", "", 55),
    ("weifang_xincun", "projects_by_tier", "demonstration", 8),
    ("weifang_xincun", "projects_by_tier", "brand", 21),
    ("weifang_xincun", "projects_by_tier", "seedling", 26),
    ("weifang_xincun", "peer_groups", "", 6),
    ("longgang", "pilot_communities", "", 3),
    ("longgang", "active_residents", "", 100),
    ("longgang", "community_leaders", "", 16),
    ("longgang", "projects", "", 10),
    ("longgang", "resident_ideas", "Heao", 12),
    ("gangwan", "pilot_communities", "", 2),
    ("gangwan", "projects_signed_intent", "", 40),
    ("gangwan", "business_partners", "Haiwan", 15),
    ("gangwan", "sky_farm_area_m2", "Haiwan", 300),
    ("gangwan", "low_fee_discount_share", "", 0.5),
    ("gangwan", "income_donated_share", "", 0.15),
]


@pytest.fixture(scope="module")
def published():
    return impact.load(ROOT / "data" / "published")


def test_published_data_load_cleanly(published):
    assert published.warnings == ()
    assert set(published.programmes.programme_id) == {
        "lishui",
        "weifang_xincun",
        "longgang",
        "hongshan",
        "gangwan",
    }


@pytest.mark.parametrize("programme, indicator, category, value", FIGURES)
def test_each_figure_is_present_with_its_value(published, programme, indicator, category, value):
    assert figure(published, programme, indicator, category) == pytest.approx(value, abs=1e-9)


def test_every_figure_names_its_source(published):
    sources = published.sources.set_index("source_id")
    assert published.published.source_id.isin(sources.index).all()
    for column in ("publisher", "title", "published"):
        assert sources[column].notna().all()
    assert not set(published.published.source_id) ^ set(sources.index)


def figure(published, programme, indicator, category=""):
    table = published.published
    rows = table[
        (table.programme_id == programme)
        & (table.indicator == indicator)
        & (table.category.fillna("") == category)
    ]
    (value,) = rows.value
    return value


def test_published_figures_reproduce_domain_md_worked_examples(published):
    # DOMAIN.md, "Measures": 376/2,336 = 16.1%; 60 ÷ 40 = 1.5; 686,404.16 ÷ 253,537 ≈ 2.71.
    idea, shortlisted = (
        figure(published, "hongshan", "funnel", s) for s in ("idea", "shortlisted")
    )
    assert round(shortlisted / idea, 3) == 0.161
    foundation = figure(published, "hongshan", "funding_share", "foundation")
    public = figure(published, "hongshan", "funding_share", "public_finance")
    assert foundation / public == pytest.approx(1.5)
    paid = figure(published, "hongshan", "paid_out_yuan")
    served = figure(published, "hongshan", "residents_served")
    assert round(paid / served, 2) == 2.71


# Numbers in the headline section that are not figures: years, days of a date range, ordinals.
NOT_FIGURES = {2017, 2018, 2022, 2023, 2024, 8, 12, 1, 4}


def test_domain_md_headline_numbers_all_appear(published):
    domain = ROOT.parent / "shared" / "DOMAIN.md"
    if not domain.exists():
        pytest.skip("../shared/DOMAIN.md is not beside this clone")
    text = domain.read_text("utf-8")
    section = text.split("### Headline figures", 1)[1].split("## Vocabulary", 1)[0]
    values = set(published.published.value.round(6))
    missing = []
    for match in re.finditer(r"(\d[\d,]*(?:\.\d+)?)(%?)", section):
        number = float(match.group(1).replace(",", ""))
        if match.group(2):
            number /= 100
        if number in NOT_FIGURES:
            continue
        if round(number, 6) not in values:
            missing.append(match.group(0))
    assert missing == []
