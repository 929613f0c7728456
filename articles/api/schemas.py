"""The shapes of the API's answers (pydantic, through django-ninja): the OpenAPI schema
at /api/v1/openapi.json is made from them, and every answer is validated by them
before it leaves (articles/api/responses.py).

A story's fields other than `id` are optional in the schema because `fields=`
may leave them out; without `fields=` every field listed in the endpoint's
description is there (null where the story has none).
"""

from datetime import date, datetime

from ninja import Schema
from pydantic import Field


class Error(Schema):
    code: str = Field(description="机器可读的错误代码，如 invalid_parameter、not_found、rate_limited")
    message: str = Field(description="中文说明")
    message_en: str = Field(description="English explanation")
    param: str | None = Field(description="出错的查询参数；与参数无关时为 null")


# --- Small references --------------------------------------------------------------


class UnionRef(Schema):
    id: int
    slug: str
    name: str
    short_name: str
    url: str = Field(description="该工会在网站上的页面")


class BylineEntry(Schema):
    name: str
    slug: str
    role: str = Field(description="reporter / photographer / correspondent / editor")
    role_label: str = Field(description="记者、摄影、通讯员、编辑")
    url: str = Field(description="记者在网站上的页面")


class Correction(Schema):
    note: str
    created_at: datetime


# --- Photos ---------------------------------------------------------------------------


class RenditionSource(Schema):
    width: int
    height: int
    jpeg: str
    webp: str


class Rendition(Schema):
    src: str = Field(description="最窄的 JPEG")
    width: int
    height: int
    sources: list[RenditionSource] = Field(description="每种宽度的 JPEG 与 WebP，由窄到宽")


class Renditions(Schema):
    list: Rendition | None = Field(description="列表用，3:2 裁切，480/960 宽")
    article: Rendition | None = Field(description="正文用，800/1200 宽")
    social: Rendition | None = Field(description="分享卡片，1200×630")


class StoryRef(Schema):
    id: int
    title: str
    url: str
    published_at: datetime


class Photo(Schema):
    id: int
    caption: str
    alt: str = Field(description="替代文字（没有时为图片说明）")
    credit: str = Field(description="署名，如“本报记者 边磊 摄”")
    photographer: BylineEntry | None = Field(description="名录中的摄影者；自由文字署名时为 null")
    width: int | None
    height: int | None
    taken_on: date | None
    image: str | None = Field(description="公开图片（已去除 EXIF），最长边不超过 2000 像素")
    renditions: Renditions
    is_lead: bool | None = Field(None, description="在稿件中是否为题图（仅在稿件的 photos 中）")
    stories: list[StoryRef] | None = Field(None, description="用到这张图片的已发布稿件（仅在图片接口中）")


# --- Stories --------------------------------------------------------------------------


class PrintPlacement(Schema):
    date: date
    page: int = Field(description="版次")
    page_name: str = Field(description="版名，如“要闻”")
    url: str = Field(description="数字报中这一版的页面")
    issue: str = Field(description="这一期的 API 网址")


class Story(Schema):
    id: int
    url: str | None = Field(None, description="网站上的稿件页（规范网址）")
    kicker: str | None = Field(None, description="引题")
    title: str | None = Field(None, description="主题")
    subtitle: str | None = Field(None, description="副题")
    source_label: str | None = Field(None, description="消息来源，如“本报讯”")
    lead: str | None = Field(None, description="导语")
    body_html: str | None = Field(None, description="正文 HTML（已净化，图片与链接为绝对网址）")
    body_text: str | None = Field(None, description="正文纯文本，每段一行")
    byline: list[BylineEntry] | None = Field(None, description="署名，按见报顺序")
    credit_line: str | None = Field(None, description="署名行，如“记者 张晶 周美玉 通讯员 李明”")
    union_bodies: list[UnionRef] | None = None
    lead_photo: Photo | None = Field(None, description="题图")
    photos: list[Photo] | None = Field(None, description="全部图片，按顺序")
    published_at: datetime | None = None
    updated_at: datetime | None = Field(None, description="最后修改（不早于发布时间）")
    print: PrintPlacement | None = Field(None, description="见报位置（已发布的数字报中，稿件开始的那一版）；未见报为 null")
    corrections: list[Correction] | None = Field(None, description="公开更正")


class StoryPage(Schema):
    items: list[Story]
    next: str | None = Field(description="下一页（更早的稿件）的完整网址；没有更多时为 null")


class SearchHit(Story):
    excerpt_html: str | None = Field(None, description="命中词附近的摘录，命中词以 <mark> 标出（已转义）")


class SearchPage(Schema):
    items: list[SearchHit]
    words: list[str] = Field(description="分词后用于检索的词")
    next: str | None


class RemovedStory(Schema):
    id: int
    removed_at: datetime


class RemovedPage(Schema):
    items: list[RemovedStory]
    next: str | None


# --- Union bodies and reporters ----------------------------------------------------------


class UnionBody(Schema):
    id: int
    slug: str
    name: str
    short_name: str
    kind: str = Field(description="municipal / district / street / industry / enterprise / other")
    kind_label: str
    parent: str | None = Field(description="上级工会的 slug；顶级为 null")
    depth: int = Field(description="在树中的层级，顶级为 0")
    url: str
    stories: str = Field(description="该工会（含下级）稿件的 API 网址")


class UnionBodyDetail(UnionBody):
    description: str
    ancestors: list[UnionRef] = Field(description="从顶级到上级")
    children: list[UnionRef] = Field(description="启用的下级工会")


class UnionTree(Schema):
    items: list[UnionBody] = Field(description="全部启用的工会，按树的顺序（上级在前）")


class Reporter(Schema):
    id: int
    slug: str
    name: str
    role: str = Field(description="reporter / photographer / correspondent / editor")
    role_label: str
    bio: str
    url: str
    stories: str = Field(description="该记者稿件的 API 网址")


class ReporterPage(Schema):
    items: list[Reporter]
    next: str | None


class PhotoPage(Schema):
    items: list[Photo]
    next: str | None


# --- The e-paper -----------------------------------------------------------------------------


class IssueSummary(Schema):
    date: date
    number: int | None = Field(description="期号（当年第几期）")
    total_number: int | None = Field(description="总期号")
    url: str = Field(description="数字报中这一期的页面")
    api_url: str


class IssuePage(Schema):
    items: list[IssueSummary]
    next: str | None


class PageImage(Schema):
    url: str
    width: int | None
    height: int | None
    renditions: list[RenditionSource] = Field(description="版面图的各种宽度，由窄到宽")


class PlacedStory(Schema):
    id: int
    title: str
    kicker: str
    url: str
    regions: list[list[list[float]]] = Field(description="多边形的列表；每个顶点 [x, y]，0–1，原点在左上角")
    continued_from: int | None = Field(description="转版：从第几版转来；从本版开始为 null")
    continues_on: int | None = Field(description="转版：接第几版；在本版结束为 null")


class EpaperPage(Schema):
    number: int
    name: str
    url: str
    pdf: str | None
    image: PageImage | None
    stories: list[PlacedStory]


class EpaperIssue(Schema):
    date: date
    number: int | None
    total_number: int | None
    url: str
    # "json" would shadow pydantic's BaseModel.json(): named apart, sent as "json".
    json_url: str = Field(alias="json",
                          description="网站上同一份数据的网址（/epaper/…json）")
    pages: list[EpaperPage]
