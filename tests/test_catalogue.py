"""The shipped profiles: complete, consistent, in the vocabulary of real reports."""

from __future__ import annotations

import pytest

from xlsummary.catalogue import CODE_PATTERN, KINDS, RULES, load_profile, profile_names


def names(profile: str) -> set[str]:
    return {i.name_zh for i in load_profile(profile).indicators}


def test_three_profiles_ship():
    assert {"hospital", "school", "general"} <= set(profile_names())


@pytest.mark.parametrize("profile", profile_names())
def test_profile_is_consistent(profile):
    prof = load_profile(profile)
    codes = [i.code for i in prof.indicators]
    assert len(codes) == len(set(codes))
    categories = {c.code for c in prof.categories}
    for ind in prof.indicators:
        assert CODE_PATTERN.match(ind.code)
        assert ind.rule in RULES and ind.kind in KINDS and ind.category in categories
        assert ind.name_zh and ind.name_en and ind.unit and ind.unit_en and ind.description
        if ind.kind == "percent":
            assert ind.rule in ("mean", "last", "max") and ind.unit == "%"
    assert [n.code for n in prof.narrative] == ["basic", "measures", "results", "problems", "plans"]
    assert any(i.required for i in prof.indicators)


def test_hospital_covers_the_figures_real_reports_quote():
    assert {
        "派驻人员",
        "门诊人次",
        "住院人次",
        "手术例数",
        "新技术新业务",
        "疑难病例讨论",
        "学术讲座",
        "教学查房",
        "业务培训人次",
        "手术示教",
        "进修人员",
        "义诊",
        "捐赠设备价值",
        "减免费用",
    } <= names("hospital")
    units = {i.name_zh: i.unit for i in load_profile("hospital").indicators}
    assert units["捐赠设备价值"] == "万元" and units["手术例数"] == "例"
    rules = {i.code: i.rule for i in load_profile("hospital").indicators}
    assert rules["staff_on_site"] == "last" and rules["surgery"] == "sum"


def test_school_and_general_vocabulary():
    assert {"示范课", "送教到校", "教研活动", "支教人次", "进修教师", "攻读学位", "赠书"} <= names(
        "school"
    )
    general = names("general")
    assert {
        "电视新闻",
        "广播新闻",
        "手机报",
        "网络及政务平台",
        "培训班",
        "走访调研",
        "实施项目",
        "到位资金",
    } <= general
    units = {i.code: i.unit for i in load_profile("general").indicators}
    assert units["news_tv"] == "条" and units["funds"] == "万元"
