"""The API under /api/v1/: the NinjaAPI, its routers, its docs and its error handlers.

newsroom/urls.py mounts `urls()` at api/v1/ and `unknown_path` for everything
else under api/ (a JSON 404 instead of the site's page).
"""

from functools import wraps

from django.views.decorators.cache import cache_control
from ninja import NinjaAPI, Swagger

from . import directory, epaper, errors, photos, stories
from .access import KEY_HEADER, ApiAccess

DESCRIPTION = """工会新闻的只读 API，供报社的 App、微信小程序等使用。只提供网站上公开的内容：已发布的稿件、
工会组织、记者、图片、搜索和数字报。

- **访问**：匿名可用，每个地址每分钟有请求上限；报社签发的 API 密钥放在 `X-Api-Key` 请求头中，上限更高。
  超过上限返回 429 和 `Retry-After`。
- **分页**：列表按游标分页，最新的在前；跟随回答中的 `next` 网址，直到它为 null。
- **缓存**：每个回答带 `ETag`；带 `If-None-Match` 再问，内容没变时得到 304（不计内容）。
- **字段**：稿件接口可用 `fields=id,title,lead` 只取需要的字段。
- **错误**：4xx 回答都是 JSON：`code`、中文 `message`、英文 `message_en`、出错的参数 `param`。

Read-only API of the newsroom (published content only). Errors carry an English `message_en`.
"""


class NewsroomAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Access is anonymous or by key: say so once, for every operation."""
        schema = super().get_openapi_schema(*args, **kwargs)
        schema["components"]["securitySchemes"] = {
            "ApiKey": {"type": "apiKey", "in": "header", "name": KEY_HEADER,
                       "description": "报社签发的 API 密钥（可不带：匿名访问，上限较低）"},
        }
        schema["security"] = [{}, {"ApiKey": []}]
        for path in schema["paths"].values():
            for operation in path.values():
                for parameter in operation.get("parameters", ()):
                    parameter["schema"] = _without_null(parameter["schema"])
        return schema


def _without_null(schema):
    """An optional query parameter is left out, never sent as null: `anyOf [X, null]` → X."""
    options = schema.get("anyOf", ())
    kept = [option for option in options if option.get("type") != "null"]
    if len(options) != 2 or len(kept) != 1:
        return schema
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    return {**kept[0], **rest}


def _docs_page(view):
    """Swagger UI's files are served from our static folder (ninja is in INSTALLED_APPS) and
    its start-up script is a file too: the site's strict policy needs no relaxing here."""
    return cache_control(max_age=300)(view)


def _read_only(view):
    """HEAD answers as GET does (the servers drop the body); any other method is a JSON 405."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        response = view(request, *args, **kwargs)
        if head:
            request.method = "HEAD"
        if response.status_code == 405:
            refused = errors.error_response(errors.ApiError(
                405, "method_not_allowed", "API 只读：只接受 GET 和 HEAD 请求。",
                "The API is read-only: GET and HEAD only."))
            refused["Allow"] = "GET, HEAD"
            return refused
        return response

    return wrapper


api = NewsroomAPI(
    title="工会新闻 API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-1",
    auth=ApiAccess(),
    docs=Swagger(settings={"validatorUrl": None, "defaultModelsExpandDepth": 0}),
    docs_url="/docs",
    docs_decorator=_docs_page,
)
errors.install(api)

ROUTERS = (stories.router, directory.router, photos.router, epaper.router)
for router in ROUTERS:
    api.add_router("", router)

unknown_path = errors.unknown_path


def urls():
    """`api.urls` with every view read-only (see _read_only), for newsroom/urls.py."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _read_only(pattern.callback)
    return patterns, app_name, namespace
