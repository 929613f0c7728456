"""Stories: the list with its filters, one story, removed stories (for syncing apps), search."""

from ninja import Query, Router

from .. import search
from ..selectors import api as selectors
from . import params as p
from . import present
from .responses import answer, answer_one
from .schemas import Error, RemovedPage, SearchPage, Story, StoryPage

router = Router(tags=["稿件"])

# What any endpoint may answer besides its 200 (304: the client's ETag still holds).
ERRORS = {304: None, 400: Error, 401: Error, 404: Error, 429: Error}


@router.get(
    "/stories", response={200: StoryPage, **ERRORS}, url_name="stories", summary="稿件列表",
    description=(
        "已发布的稿件，最新的在前，按游标分页（跟随 `next`）。默认字段："
        + "、".join(present.LIST_FIELDS) + "；`fields=` 可选任意字段（含 body_html、photos 等）。"
        "同步：记下上次同步开始的时间（减去几分钟余量），下次以 `updated_since=` 传入；"
        "被撤下的稿件见 `/stories/removed`。"
    ),
)
def story_list(request, params: Query[p.StoryParams]):
    p.reject_unknown(request, p.StoryParams)
    fields = present.parse_fields(params.fields, present.LIST_FIELDS)

    def build():
        rows, more = selectors.stories(p.story_filter(params), params.limit, **present.parts(fields))
        return present.page(request, rows, params.limit, lambda a: present.story(request, a, fields),
                            present.time_cursor(), more)

    return answer(request, StoryPage, build)


@router.get(
    "/stories/removed", response={200: RemovedPage, **ERRORS}, url_name="removed_stories",
    summary="已撤下的稿件",
    description="曾经发布、后来撤回或删除的稿件的 id 和撤下时间（重新发布的不在其中），最新的在前。"
                "同步时传 `since=` 上次同步的时间，把这些 id 从本地删掉。除 id 与时间外不透露任何内容。",
)
def removed_list(request, params: Query[p.RemovedParams]):
    p.reject_unknown(request, p.RemovedParams)

    def build():
        rows = selectors.removed_stories(p.moment(params.since, "since"), p.cursor(params), params.limit)
        return present.page(
            request, rows, params.limit,
            lambda row: {"id": row.article_id, "removed_at": present.local(row.removed_at)},
            present.time_cursor("removed_at", "article_id"),
        )

    return answer(request, RemovedPage, build)


@router.get(
    "/stories/{int:story_id}", response={200: Story, **ERRORS}, url_name="story", summary="一篇稿件",
    description="一篇已发布的稿件，默认包含全部字段；未发布、定时未到、撤回或删除的稿件一律 404。",
)
def story_detail(request, story_id: int, params: Query[p.StoryFields]):
    p.reject_unknown(request, p.StoryFields)
    fields = present.parse_fields(params.fields, present.STORY_FIELDS)

    return answer_one(
        request, Story, lambda: selectors.story(p.object_id(story_id), **present.parts(fields)),
        lambda article: present.story(request, article, fields),
        ("没有这篇已发布的稿件。", "No published story with this id."),
    )


@router.get(
    "/search", response={200: SearchPage, **ERRORS}, url_name="search", summary="搜索",
    description="与网站搜索相同：中文分词，每个词都要命中，标题命中的在前，再按时间；只搜已发布的稿件。",
)
def search_stories(request, params: Query[p.SearchParams]):
    p.reject_unknown(request, p.SearchParams)
    fields = present.parse_fields(params.fields, present.LIST_FIELDS)

    def build():
        found = search.search_articles(params.q)
        words = found.words
        cursor = p.search_cursor(params)
        rows = selectors.search_page(found, cursor, params.limit, **present.parts(fields)) if found else []
        found = present.page(
            request, rows, params.limit,
            lambda a: {**present.story(request, a, fields), "excerpt_html": str(search.excerpt(a, words))},
            lambda a: {**present.time_cursor()(a), "before_score": a.search_score},
        )
        return {**found, "words": [word for word, _ in words]}

    return answer(request, SearchPage, build)
