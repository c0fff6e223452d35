"""Report metadata: title, department, region, fiscal year, genre; department names."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor import extract
from extractor.meta import normalize_department, read_meta
from extractor.readers.structure import assign_sections
from extractor.readers.text import lines_to_blocks


def meta_of(text: str):
    return read_meta(assign_sections(lines_to_blocks(text.splitlines())))


def test_title_department_year_genre_from_the_title():
    meta = meta_of("临川区示范管理局2021年度部门整体支出绩效自评报告\n一、部门概况\n我局内设3个股室。")
    assert meta.title == "临川区示范管理局2021年度部门整体支出绩效自评报告"
    assert meta.department == "临川区示范管理局"
    assert meta.region == "临川区"
    assert meta.year == 2021
    assert meta.genre == "dept_overall_self_eval"


@pytest.mark.parametrize("title, genre", [
    ("某县示范局2023年度部门整体支出绩效自评表", "dept_overall_self_eval"),
    ("某县示范局2023年度项目支出绩效自评表", "project_self_eval"),
    ("安全生产专项资金项目绩效自评报告（2023年度）", "project_self_eval"),
    ("某县示范局2023年度部门决算", "final_accounts"),
    ("某县供销合作社联合社2024年部门预算公开说明", "budget"),
    ("某镇农业服务中心2025年单位预算", "budget"),
    ("某县2025年“三公”经费预算情况说明", "budget"),
    ("关于某县2023年财政预算执行情况和2024年财政预算草案的报告", "budget_execution"),
    ("某县示范局2023年部门预算执行情况说明", "budget_execution"),
    ("某縣衛生局2023年部門預算", "budget"),
])
def test_genre_from_the_longest_title_word(title, genre):
    assert meta_of(title + "\n正文。").genre == genre


def test_fiscal_year_not_the_publication_date():
    meta = meta_of("发布日期：2024-03-18\n某县示范中心整体支出绩效自评报告\n（2023年度）\n正文。")
    assert meta.year == 2023
    meta = meta_of("公开时间:2025年10月15日\n第二部分2024年度单位决算情况说明\n收入总计100万元。")
    assert meta.year == 2024
    assert meta.genre == "final_accounts"


def test_genre_from_the_opening_text_when_no_title():
    assert meta_of("1-5月，全县一般公共预算收入累计完成3000万元。").genre == "budget_execution"
    assert meta_of("产出指标数量指标培训人次=500 20").genre == "project_self_eval"
    assert meta_of("今年接待来访群众120人次。").genre == "other"
    # a cited rule (《…预决算公开操作规程》) says nothing of the genre; the text's own words do
    opening = ("根据《某省预决算公开操作规程》的规定，现将本单位2025年“三公”经费\n预算情况说明如下。"
               "“三公”经费预算5.2万元。")
    assert meta_of(opening).genre == "budget"
    assert meta_of("一、绩效目标分解下达情况\n中央下达我县专项资金860万元。").genre == "project_self_eval"
    assert meta_of("2019年决算为保障机构运行的支出合计41.2万元。").genre == "final_accounts"
    # a sheet whose first row is the form's title: the department's form, not a project's
    # (both hold 绩效自评表 and 产出指标)
    assert meta_of("白河县水利局2023年度部门整体支出绩效自评表 | | \n一级指标 | 二级指标 | 分值\n"
                   "产出指标 | 数量指标 | 20").genre == "dept_overall_self_eval"
    assert meta_of("山坪乡2023年度道路硬化项目支出绩效自评表 | | \n一级指标 | 二级指标 | 分值\n"
                   "产出指标 | 数量指标 | 20").genre == "project_self_eval"


def test_a_body_line_is_not_a_title_and_cited_years_are_not_the_fiscal_year():
    meta = meta_of("原因是部分项目支出结转到下年。较上年决算数减少12.5\n（一）本单位2021年度总收入80.2万元。")
    assert meta.title is None
    assert meta.year == 2021
    meta = meta_of("根据《某省预决算公开操作规程（2022年修订）》的规定，2025年本部门“三公”经费预算8万元。")
    assert meta.year == 2025


def test_department_from_a_labelled_field():
    text = "项目支出绩效自评表\n资金使用单位 | 某市某区人力资源和社会保障局 |\n年度资金总额 | 10 |"
    assert meta_of(text).department == "某市某区人力资源和社会保障局"


def test_region_is_the_longest_prefix_the_text_gives():
    meta = meta_of("西岭区应急管理局整体支出绩效自评报告\n编制部门核定东江市西岭区应急管理局编制人数22人。")
    assert meta.department == "西岭区应急管理局"
    assert meta.region == "东江市西岭区"


def test_normalize_department():
    assert normalize_department(" 东江市西岭区 应急管理局（本级）") == "东江市西岭区应急管理局"
    assert normalize_department("东江市西岭区应急管理局【本级】") == "东江市西岭区应急管理局"
    assert normalize_department("ＡＢ县农业农村局") == "AB县农业农村局"
    assert normalize_department("东江市西岭区应急管理局", keep_region=False) == "应急管理局"
    assert normalize_department("西岭区应急管理局", keep_region=False) == "应急管理局"
    # a unit whose name is a place plus 人民政府 keeps the place
    assert normalize_department("新河县马头镇人民政府", keep_region=False) == "马头镇人民政府"
    # 城市管理局 is not a region 城市 + 管理局
    assert normalize_department("东山县城市管理局", keep_region=False) == "城市管理局"


def test_seed_meta(shared_dir):
    report = extract(next((shared_dir / "seed").glob("*.txt")))
    assert report.meta.department == "西湖区应急管理局"
    assert report.meta.year == 2022
    assert report.meta.genre == "dept_overall_self_eval"


def test_dev_corpus_year_and_genre(shared_dir):
    dev = shared_dir / "corpus" / "dev"
    index = {e["id"]: e for e in json.loads((dev / "index.json").read_text(encoding="utf-8"))}
    years = genres = 0
    for text in sorted(dev.glob("*.txt")):
        meta = extract(text).meta
        years += meta.year == index[text.stem]["year"]
        genres += meta.genre == index[text.stem]["genre"]
    print(f"dev meta: year {years}/{len(index)}, genre {genres}/{len(index)}")
    floors = json.loads((Path(__file__).parent / "dev_baseline.json").read_text(encoding="utf-8"))
    assert years >= floors["dev_year_share"] * len(index)
    assert genres >= floors["dev_genre_share"] * len(index)
