"""manage.py load_demo: a believable newsroom, and running it twice changes nothing."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import (
    Article,
    ArticleEvent,
    Byline,
    ListedWord,
    Photo,
    Reporter,
    ReviewerGroup,
    UnionBody,
)

pytestmark = pytest.mark.django_db

MODELS = [UnionBody, Reporter, Article, Byline, Photo, ArticleEvent, ReviewerGroup, ListedWord,
          get_user_model()]


def run_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_has_the_seed_tree_and_stories_in_every_state():
    run_demo()
    chaoyang = UnionBody.objects.get(name="朝阳区总工会")
    assert chaoyang.parent.name == "北京市总工会"
    assert {b.name for b in chaoyang.children.all()} == {"奥运村街道总工会", "朝外街道总工会"}
    assert UnionBody.objects.get(name="北京建工机施集团工会").parent.name == "北京建工集团工会"
    assert Reporter.objects.filter(name="边磊", role=Reporter.Role.PHOTOGRAPHER).exists()
    assert 35 <= Article.objects.count() <= 45
    statuses = set(Article.objects.values_list("status", flat=True))
    assert statuses == {"draft", "review", "published"}
    assert Article.objects.scheduled().exists()
    assert Article.objects.published().count() >= 20
    # 复审 and 终审 belong to their own groups in the demo; stories wait at every level;
    # each published one went through three people.
    assert not ReviewerGroup.objects.filter(level__name__in=["复审", "终审"], group__name="编辑").exists()
    assert set(Article.objects.in_review().values_list("review_level__name", flat=True)) == {
        "初审", "复审", "终审"}
    for story in Article.objects.published():
        passes = story.events.filter(action__in=ArticleEvent.PASSING_ACTIONS)
        assert list(passes.values_list("level_name", "actor__username")) == [
            ("初审", "chushen"), ("复审", "fushen"), ("终审", "zhongshen")]


def test_demo_prints_each_password_once_and_they_log_in(client, settings):
    settings.NEWSROOM_BASE_URL = "http://192.168.1.20:8080"  # make run HOST=192.168.1.20:8080
    first = run_demo()
    assert "登录地址 http://192.168.1.20:8080/admin/" in first
    assert first.count("密码") >= 3
    passwords = {
        line.split()[-3]: line.split()[-1] for line in first.splitlines() if "用户名" in line
    }
    assert set(passwords) == {"reporter", "editor", "chushen", "fushen", "zhongshen", "admin"}
    for username, password in passwords.items():
        # Through the login form, as a person does (django-axes checks every attempt).
        response = client.post(
            "/admin/login/?next=/admin/", {"username": username, "password": password}
        )
        assert response.status_code == 302, username
        assert client.get("/admin/").status_code == 200
        client.logout()
    second = run_demo()
    assert not any(password in second for password in passwords.values())


def test_running_the_demo_twice_changes_nothing():
    run_demo()
    before = {model: list(model.objects.order_by("pk").values()) for model in MODELS}
    run_demo()
    after = {model: list(model.objects.order_by("pk").values()) for model in MODELS}
    for model in MODELS:
        assert after[model] == before[model], model.__name__


def test_demo_reporter_account_is_linked_to_a_byline_name():
    run_demo()
    assert get_user_model().objects.get(username="reporter").reporter.name == "张晶"
