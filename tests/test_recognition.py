"""Recognising union bodies in text: longest match, aware of the tree, aliases."""

import pytest

from articles.importer.recognition import Recognizer, suggest_union_bodies
from articles.models import UnionBody

from .factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def recognizer(directory):
    return Recognizer()


def names(recognizer, text):
    return [body.name for body in recognizer.bodies_in(text)]


def test_full_names_are_found_in_order(recognizer):
    assert names(recognizer, "石景山区总工会和北京市总工会联合举办") == ["石景山区总工会", "北京市总工会"]


def test_a_district_body_is_not_its_municipal_parent(recognizer):
    assert names(recognizer, "近日，石景山区总工会举办集体协商竞赛") == ["石景山区总工会"]


def test_a_street_body_named_with_its_district_is_the_street_body(recognizer):
    assert names(recognizer, "近日，朝阳区奥运村街道总工会举办联谊活动") == ["奥运村街道总工会"]


def test_a_body_inside_a_longer_known_name_does_not_count(recognizer):
    assert names(recognizer, "北京建工机施集团工会主席带队") == ["北京建工机施集团工会"]


def test_aliases_are_recognised(recognizer):
    assert names(recognizer, "北汽集团举办活动，昌平区工会系统参加") == ["北汽集团工会", "昌平区总工会"]


def test_short_form_inside_an_unknown_longer_name_does_not_count(recognizer):
    assert names(recognizer, "天津市总工会代表来访") == []
    assert names(recognizer, "近日，市总工会召开会议") == ["北京市总工会"]


def test_unrelated_bodies_are_not_matched(recognizer):
    assert names(recognizer, "浙江省总工会干部学校、中华全国总工会、朝阳区红十字会") == []


def test_inactive_bodies_are_not_suggested(recognizer):
    UnionBody.objects.filter(name="朝外街道总工会").update(is_active=False)
    assert names(Recognizer(), "朝外街道总工会开办急救培训课") == []


def test_suggestions_leave_out_bodies_already_tagged(recognizer):
    shijingshan = UnionBody.objects.get(name="石景山区总工会")
    article = make_article(
        "石景山区总工会举办竞赛", body="<p>北汽集团工会也派队参加。</p>", unions=[shijingshan]
    )
    assert [b.name for b in suggest_union_bodies(article, recognizer)] == ["北汽集团工会"]


def test_no_bodies_means_no_pattern(db):
    assert Recognizer(bodies=[]).bodies_in("北京市总工会") == []
