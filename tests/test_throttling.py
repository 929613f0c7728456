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


# --- behind proxies (issue 16 #4) -------------------------------------------------------

BALANCER = "10.9.9.9"


def through_balancer(client, username, password, reader):
    """A login as the load balancer passes it on: its own address, the reader's appended."""
    return client.post(LOGIN, {"username": username, "password": password},
                       REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR=reader)


def test_behind_the_balancer_the_lockout_hits_the_guessing_address_only(client, settings):
    settings.PROXY_COUNT = 1
    make_user("admin")
    for _ in range(5):
        through_balancer(client, "admin", "wrong", "203.0.113.7")
    assert through_balancer(client, "admin", PASSWORD, "203.0.113.7").status_code == 429
    # The account holder, from their own address through the same balancer, is not locked out.
    assert through_balancer(client, "admin", PASSWORD, "198.51.100.2").status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_a_forged_forwarded_for_header_is_ignored_without_trusted_proxies(client):
    make_user("admin")
    for n in range(5):
        through_balancer(client, "admin", "wrong", f"203.0.113.{n}")
    assert through_balancer(client, "admin", PASSWORD, "198.51.100.2").status_code == 429


def test_a_header_that_is_no_address_falls_back_to_the_connection(client, settings):
    settings.PROXY_COUNT = 1
    make_user("admin")
    assert through_balancer(client, "admin", "wrong", "<script>, not-an-ip").status_code == 200
    assert AccessAttempt.objects.get().ip_address == BALANCER


def test_a_username_longer_than_any_account_is_a_wrong_login_not_an_error(client):
    response = attempt(client, "名" * 300, "wrong")
    assert response.status_code == 200
    assert len(AccessAttempt.objects.get().username) == 150  # fits axes' 255-character column


def test_an_administrator_sees_and_lifts_a_lockout(client):
    make_user("zhangjing")
    for _ in range(5):
        attempt(client, "zhangjing", "wrong", ip="10.0.0.1")
    admin = make_user("boss", is_superuser=True)
    client.force_login(admin)
    page = client.get("/admin/axes/accessattempt/?locked=yes").content.decode()
    assert "zhangjing" in page and "10.0.0.1" in page and "锁定中" in page
    client.post("/admin/axes/accessattempt/", {
        "action": "lift", "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True))})
    client.logout()
    assert attempt(client, "zhangjing", PASSWORD, ip="10.0.0.1").status_code == 302


def test_an_editor_cannot_see_lockouts(client):
    client.force_login(make_user("ed", group="编辑"))
    assert client.get("/admin/axes/accessattempt/").status_code == 403


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)"])
def test_a_login_with_an_unsafe_next_ends_in_the_newsroom(client, next_url):
    """Issue 16 #14: Django ignores an unsafe next; the newsroom, not a 404, is where it lands."""
    make_user("zhangjing")
    response = client.post(f"/admin/login/?next={next_url}",
                           {"username": "zhangjing", "password": PASSWORD, "next": next_url}, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/" and response.status_code == 200
