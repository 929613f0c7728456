"""Admin login throttling (django-axes): username + address, a Chinese lockout page."""

import pytest
from axes.models import AccessAttempt

from .factories import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "pw-for-tests-1"


def attempt(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_the_account_from_that_address(client):
    make_user("zhangjing")
    for _ in range(4):
        assert attempt(client, "zhangjing", "wrong").status_code == 200  # the form again
    locked = attempt(client, "zhangjing", "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "登录已暂停" in page and "连续输错密码 5 次" in page and "15 分钟" in page
    # Now even the right password is refused from there.
    again = attempt(client, "zhangjing", PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_does_not_spread_to_other_addresses_or_accounts(client):
    make_user("zhangjing")
    make_user("libai")
    for _ in range(5):
        attempt(client, "zhangjing", "wrong", ip="10.0.0.1")
    # The same person from their office, and a colleague at the guessing address.
    assert attempt(client, "zhangjing", PASSWORD, ip="10.0.0.2").status_code == 302
    client.logout()
    assert attempt(client, "libai", PASSWORD, ip="10.0.0.1").status_code == 302


def test_a_successful_login_clears_earlier_failures(client):
    make_user("zhangjing")
    for _ in range(3):
        attempt(client, "zhangjing", "wrong")
    assert attempt(client, "zhangjing", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="zhangjing").exists()


def test_wrong_passwords_are_not_recorded(client):
    make_user("zhangjing")
    attempt(client, "zhangjing", "my-secret-guess")
    recorded = AccessAttempt.objects.get(username="zhangjing")
    assert "my-secret-guess" not in recorded.post_data
