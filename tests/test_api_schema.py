"""The API keeps to its own OpenAPI schema: a property-based run with schemathesis.

schemathesis reads /api/v1/openapi.json and, for every endpoint, sends requests
made from the declared parameters (valid ones, boundary values and invalid ones)
to the WSGI application in this process, against a small newsroom. Every answer
must be no 5xx, a documented status with a documented content type and a body
that matches the schema, and invalid input must be refused with a 4xx.
Bounded (a few dozen cases an endpoint) and seeded (`derandomize`): the same run
every time, well under a minute.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from articles.models import Correction, Issue, Page, Placement
from newsroom.wsgi import application

from .factories import make_article, make_photo, make_reporter, make_union

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, negative_data_rejection]


@pytest.fixture
def one_connection():
    """Keep the test's database connection through each request, as Django's test Client does:
    a WSGI request's end would close it (close_old_connections) and lose the test transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def newsroom(db, settings, one_connection):
    settings.API_ANON_PER_MINUTE = 10**6  # the run is one client making hundreds of requests
    city = make_union("北京市总工会", slug="bjzgh")
    body = make_union("朝阳区总工会", slug="chaoyang", parent=city)
    reporter = make_reporter("张晶", slug="zhang-jing")
    for i in range(3):
        article = make_article(f"工会稿件{i}", unions=[body], reporters=[reporter],
                               photos=[make_photo()], body="<p>工会 职工</p>", print_page=1)
    Correction.objects.create(article=article, note="更正")
    page = Page.objects.create(issue=Issue.objects.create(date=article.published_at.date(), is_published=True),
                               number=1, name="要闻")
    Placement.objects.create(page=page, article=article, regions=[[[0, 0], [1, 0], [1, 0.5]]])


# Loaded once at collection: the schema needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=30, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_endpoint_keeps_to_its_schema(case, newsroom):
    case.call_and_validate(checks=CHECKS)
