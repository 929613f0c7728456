"""The search's cost in database pages, not milliseconds: `manage.py shell < bench/search_cost.py`.

For the bench's three searches (a common word, a rare word, pinyin) it runs the
page's search (ranked page, count and facets) once, captures every SQL query and
sums what EXPLAIN (ANALYZE, BUFFERS) says they touched: shared buffers (hit +
read) and rows read from the index. Unlike latencies on a shared machine these
do not depend on the load, so they show how the cost grows with the archive.
"""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import search
from articles.models import UnionBody
from demo import bench

street = UnionBody.objects.filter(slug__startswith=bench.SLUG_PREFIX, kind=UnionBody.Kind.STREET,
                                  short_name__gt="").order_by("slug").first()
queries = {"common": "工会", "rare": street.short_name, "pinyin": "jinqiu zhuxue"}


def buffers(captured):
    """Shared buffers (hit + read) the captured queries touch, by EXPLAIN (ANALYZE, BUFFERS)."""
    pages = 0
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + query["sql"])
            plan = cursor.fetchone()[0]
            top = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
            pages += top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
    return pages


report = {}
for key, q in queries.items():
    with CaptureQueriesContext(connection) as page:
        found = search.search_articles(q)
        found.page(1, 20)
    with CaptureQueriesContext(connection) as summary:
        count, capped = found.summary()[:2]
    report[key] = {"query": q, "matches": f"{count}{'+' if capped else ''}",
                   "page_buffers": buffers(page), "count_and_facets_buffers": buffers(summary)}
print(json.dumps(report, ensure_ascii=False))
