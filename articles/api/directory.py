"""Union bodies (the tree, one body) and reporters (the roster, one reporter)."""

from ninja import Query, Router

from ..models import Reporter, UnionBody
from ..selectors import api as selectors
from . import params as p
from . import present
from .errors import not_found
from .responses import answer, answer_one
from .schemas import Reporter as ReporterSchema
from .schemas import ReporterPage, UnionBodyDetail, UnionTree
from .stories import ERRORS

router = Router(tags=["工会组织与记者"])


def _union(request, body, depth):
    return {
        **present.union_ref(request, body), "kind": body.kind, "kind_label": body.get_kind_display(),
        "parent": body.parent.slug if body.parent_id and body.parent else None, "depth": depth,
        "stories": present.api_url(request, "stories", {"union": body.slug}),
    }


@router.get(
    "/unions", response={200: UnionTree, **ERRORS}, url_name="unions", summary="工会组织树",
    description="全部启用的工会组织，按树的顺序排列（上级在前），每个带 parent 和 depth。一次查询。",
)
def union_tree(request):
    p.reject_unknown(request, None)

    def build():
        walk = UnionBody.objects.directory().walk()
        return {"items": [_union(request, body, depth) for body, depth in walk]}

    return answer(request, UnionTree, build)


@router.get(
    "/unions/{slug}", response={200: UnionBodyDetail, **ERRORS}, url_name="union", summary="一个工会组织",
    description="工会组织及其上级（从顶级起）和下级。它的稿件（含下级工会的）见 `stories` 网址。",
)
def union_detail(request, slug: str):
    p.reject_unknown(request, None)

    def build():
        directory = UnionBody.objects.directory()
        body = directory.get(slug)
        if body is None:
            raise not_found("没有这个工会组织。", "No such union body.")
        ancestors = directory.ancestors(body)
        return {
            **_union(request, body, len(ancestors)), "description": body.description,
            "ancestors": [present.union_ref(request, above) for above in ancestors],
            "children": [present.union_ref(request, kid) for kid in directory.children(body)],
        }

    return answer(request, UnionBodyDetail, build)


def _reporter(request, reporter):
    return {
        "id": reporter.pk, "slug": reporter.slug, "name": reporter.name, "role": reporter.role,
        "role_label": reporter.get_role_display(), "bio": reporter.bio,
        "url": present.absolute(request, reporter.get_absolute_url()),
        "stories": present.api_url(request, "stories", {"reporter": reporter.slug}),
    }


@router.get(
    "/reporters", response={200: ReporterPage, **ERRORS}, url_name="reporters", summary="记者名录",
    description="在职的记者、摄影记者、通讯员和编辑，按 slug（拼音）排序，跟随 `next` 翻页。",
)
def reporter_list(request, params: Query[p.ReporterParams]):
    p.reject_unknown(request, p.ReporterParams)

    def build():
        rows = selectors.reporters(params.after, params.limit)
        return present.page(request, rows, params.limit, lambda r: _reporter(request, r),
                            lambda r: {"after": r.slug})

    return answer(request, ReporterPage, build)


@router.get(
    "/reporters/{slug}", response={200: ReporterSchema, **ERRORS}, url_name="reporter", summary="一位记者",
    description="记者的公开资料；其稿件见 `stories` 网址。",
)
def reporter_detail(request, slug: str):
    p.reject_unknown(request, None)

    return answer_one(request, ReporterSchema,
                      lambda: p.slug(slug) and Reporter.objects.filter(slug=slug).first(),
                      lambda reporter: _reporter(request, reporter), ("没有这位记者。", "No such reporter."))
