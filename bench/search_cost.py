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
report = {}
for key, q in queries.items():
    with CaptureQueriesContext(connection) as captured:
        found = search.search_articles(q)
        found.page(1, 20)
        count, capped, _ = found.summary()
    pages = 0
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            top = plan[0]["Plan"]
            pages += top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
    report[key] = {"query": q, "matches": f"{count}{'+' if capped else ''}", "sql_queries": len(captured),
                   "buffers": pages}
print(json.dumps(report, ensure_ascii=False))
