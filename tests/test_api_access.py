"""Who may read the API how often: anonymous limits, API keys (issued, revoked, counted), CORS."""

import pytest
from django.contrib.auth.models import Group

from articles.models import ApiKey, ApiKeyUsage
from articles.models.api import hash_key

from .factories import login, make_user

pytestmark = pytest.mark.django_db

STORIES = "/api/v1/stories"


def hit(client, times, **headers):
    return [client.get(STORIES, **headers) for _ in range(times)]


class TestRateLimits:
    def test_anonymous_limit_per_address_then_429_with_retry_after(self, client, settings):
        settings.API_ANON_PER_MINUTE = 3
        responses = hit(client, 4, REMOTE_ADDR="10.0.0.1")
        assert [r.status_code for r in responses] == [200, 200, 200, 429]
        assert [r["X-RateLimit-Remaining"] for r in responses[:3]] == ["2", "1", "0"]
        refused = responses[-1]
        assert 1 <= int(refused["Retry-After"]) <= 60
        assert refused.json()["code"] == "rate_limited" and "每分钟最多 3 次" in refused.json()["message"]
        assert client.get(STORIES, REMOTE_ADDR="10.0.0.2").status_code == 200

    def test_a_forged_forwarded_for_header_gets_no_fresh_limit(self, client, settings):
        settings.API_ANON_PER_MINUTE = 1
        assert client.get(STORIES, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 200
        assert client.get(STORIES, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 429

    def test_behind_a_trusted_proxy_the_address_it_saw_counts(self, client, settings):
        settings.API_ANON_PER_MINUTE, settings.PROXY_COUNT = 1, 1
        proxy = {"REMOTE_ADDR": "127.0.0.1"}
        assert client.get(STORIES, HTTP_X_FORWARDED_FOR="9.9.9.9, 1.1.1.1", **proxy).status_code == 200
        assert client.get(STORIES, HTTP_X_FORWARDED_FOR="1.1.1.1", **proxy).status_code == 429
        assert client.get(STORIES, HTTP_X_FORWARDED_FOR="1.1.1.1, 2.2.2.2", **proxy).status_code == 200


class TestKeys:
    def test_a_key_has_its_own_higher_limit(self, client, settings):
        settings.API_ANON_PER_MINUTE = 1
        key, raw = ApiKey.issue(name="小程序", per_minute=4)
        codes = [r.status_code for r in hit(client, 5, HTTP_X_API_KEY=raw)]
        assert codes == [200, 200, 200, 200, 429]
        assert client.get(STORIES).status_code == 200  # the address's own, separate limit

    def test_default_key_limit_from_settings(self, client, settings):
        settings.API_KEY_PER_MINUTE = 2
        key, raw = ApiKey.issue(name="App")
        assert [r.status_code for r in hit(client, 3, HTTP_X_API_KEY=raw)] == [200, 200, 429]

    @pytest.mark.parametrize("header", ["nk_not-a-key", "", "x" * 500])
    def test_unknown_key_is_401_not_anonymous(self, client, header):
        response = client.get(STORIES, HTTP_X_API_KEY=header)
        assert response.status_code == 401
        assert response.json()["code"] == "invalid_key"

    def test_guessing_keys_counts_against_the_address(self, client, settings):
        settings.API_ANON_PER_MINUTE = 2
        codes = [client.get(STORIES, HTTP_X_API_KEY=f"nk_{i}").status_code for i in range(3)]
        assert codes == [401, 401, 429]

    def test_revocation_counts_on_the_next_request(self, client):
        key, raw = ApiKey.issue(name="旧 App")
        assert client.get(STORIES, HTTP_X_API_KEY=raw).status_code == 200  # now cached
        key.revoke()
        response = client.get(STORIES, HTTP_X_API_KEY=raw)
        assert response.status_code == 401 and response.json()["code"] == "revoked_key"

    def test_only_the_hash_is_stored(self):
        key, raw = ApiKey.issue(name="App")
        assert raw.startswith("nk_") and len(raw) > 40
        assert key.key_hash == hash_key(raw) and raw not in str(ApiKey.objects.values().get())
        assert raw.startswith(key.prefix) and len(key.prefix) < len(raw) // 3

    def test_usage_is_counted_per_key_and_day(self, client, settings):
        settings.API_USAGE_WRITE_EVERY = 1
        settings.API_KEY_PER_MINUTE = 3
        key, raw = ApiKey.issue(name="App")
        other, other_raw = ApiKey.issue(name="Other")
        hit(client, 5, HTTP_X_API_KEY=raw)
        hit(client, 1, HTTP_X_API_KEY=other_raw)
        usage = ApiKeyUsage.objects.get(key=key)
        assert (usage.requests, usage.throttled) == (3, 2)
        assert ApiKeyUsage.objects.get(key=other).requests == 1
        key.refresh_from_db()
        assert key.last_used_at is not None

    def test_usage_is_written_in_batches(self, client, settings):
        from articles.api.access import pending_usage

        settings.API_USAGE_WRITE_EVERY = 3
        key, raw = ApiKey.issue(name="App")
        hit(client, 7, HTTP_X_API_KEY=raw)
        assert ApiKeyUsage.objects.get(key=key).requests == 6
        assert pending_usage([key.pk]) == {key.pk: 1}


class TestAdmin:
    def test_administrator_issues_a_key_shown_once_and_revokes_it(self, client):
        admin = make_user("boss", is_superuser=True)
        login(client, admin)
        page = client.post("/admin/articles/apikey/add/", {"name": "微信小程序", "per_minute": "", "note": ""})
        assert page.status_code == 200 and "no-store" in page["Cache-Control"]
        key = ApiKey.objects.get()
        raw = page.content.decode().split('id="api-key" type="text" readonly value="')[1].split('"')[0]
        assert hash_key(raw) == key.key_hash and key.created_by == admin
        assert raw not in client.get(f"/admin/articles/apikey/{key.pk}/change/").content.decode()
        api = client.__class__()
        assert api.get(STORIES, HTTP_X_API_KEY=raw).status_code == 200
        listing = client.get("/admin/articles/apikey/").content.decode()
        assert "微信小程序" in listing and "有效" in listing
        client.post("/admin/articles/apikey/", {"action": "revoke_selected", "_selected_action": [key.pk]})
        key.refresh_from_db()
        assert key.revoked_by == admin
        assert api.get(STORIES, HTTP_X_API_KEY=raw).status_code == 401

    def test_keys_are_for_administrators_only_and_never_deleted(self, client):
        editor = make_user("editor9", group="编辑")
        editor.groups.add(Group.objects.get(name="编辑"))
        key, _ = ApiKey.issue(name="App")
        login(client, editor)
        assert client.get("/admin/articles/apikey/").status_code == 403
        assert client.get(f"/admin/articles/apikey/{key.pk}/change/").status_code == 403
        login(client, make_user("boss2", is_superuser=True))
        assert client.get(f"/admin/articles/apikey/{key.pk}/delete/").status_code == 403


class TestCors:
    def test_only_configured_origins_and_only_the_api(self, client, settings):
        settings.CORS_ALLOWED_ORIGINS = ["https://m.example.org"]
        allowed = client.get(STORIES, HTTP_ORIGIN="https://m.example.org")
        assert allowed["Access-Control-Allow-Origin"] == "https://m.example.org"
        assert "ETag" in allowed["Access-Control-Expose-Headers"]
        assert "Access-Control-Allow-Origin" not in client.get(STORIES, HTTP_ORIGIN="https://evil.example")
        assert "Access-Control-Allow-Origin" not in client.get("/", HTTP_ORIGIN="https://m.example.org")
        preflight = client.options(STORIES, HTTP_ORIGIN="https://m.example.org",
                                   HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
                                   HTTP_ACCESS_CONTROL_REQUEST_HEADERS="x-api-key")
        assert preflight.status_code == 200 and "x-api-key" in preflight["Access-Control-Allow-Headers"]

    def test_no_origin_is_allowed_by_default(self, client):
        assert "Access-Control-Allow-Origin" not in client.get(STORIES, HTTP_ORIGIN="https://m.example.org")


def test_a_key_costs_one_query_every_few_minutes(client, django_assert_num_queries, settings):
    """The key is looked up once and then remembered (revoking forgets it); usage goes to the
    database only every API_USAGE_WRITE_EVERY requests. Anonymous /stories costs 5 cold."""
    from .factories import make_article

    settings.API_USAGE_WRITE_EVERY = 100
    make_article("稿件")
    key, raw = ApiKey.issue(name="App")
    with django_assert_num_queries(5 + 1):  # + the key
        client.get(STORIES, HTTP_X_API_KEY=raw)
    with django_assert_num_queries(4):  # the next scheduled story is known now; the key too
        client.get(STORIES + "?limit=3", HTTP_X_API_KEY=raw)
