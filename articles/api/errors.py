"""What the API answers when something is wrong: a 4xx with JSON in Chinese and English.

Every error has the same shape (`schemas.Error`):

    {"code": "invalid_parameter", "message": "参数 limit 不能大于 100。",
     "message_en": "Parameter limit must be at most 100.", "param": "limit"}

`code` is for programs, `message` for people (Chinese), `message_en` for developers
who read English, `param` names the query parameter at fault (or null). Bad input of
any kind — unknown parameters or fields, bad dates, bad cursors, huge limits, bad keys,
unknown paths — ends here, never in a 500 or an HTML page.
"""

import json

from django.http import Http404, HttpResponse
from ninja.errors import AuthenticationError, HttpError, ValidationError


class ApiError(Exception):
    """An answer other than 200, with its Chinese and English message."""

    def __init__(self, status, code, message, message_en, param=None, headers=None):
        super().__init__(message_en)
        self.status, self.code, self.param = status, code, param
        self.message, self.message_en = message, message_en
        self.headers = headers or {}

    def payload(self):
        return {"code": self.code, "message": self.message, "message_en": self.message_en,
                "param": self.param}


def bad_parameter(param, message, message_en, code="invalid_parameter"):
    return ApiError(400, code, message, message_en, param=param)


def not_found(message="没有找到。", message_en="Not found."):
    return ApiError(404, "not_found", message, message_en)


def json_response(data, status=200):
    """JSON as UTF-8 (Chinese stays readable and a third smaller than \\u escapes)."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def error_response(error):
    response = json_response(error.payload(), status=error.status)
    for name, value in error.headers.items():
        response[name] = value
    return response


# What pydantic says about a query parameter, said for people.
_PYDANTIC_MESSAGES = {
    "int_parsing": ("应为整数", "must be an integer"),
    "int_from_float": ("应为整数", "must be an integer"),
    "bool_parsing": ("应为 true 或 false", "must be true or false"),
    "date_parsing": ("应为日期，例如 2025-06-12", "must be a date such as 2025-06-12"),
    "date_from_datetime_parsing": ("应为日期，例如 2025-06-12", "must be a date such as 2025-06-12"),
    "date_from_datetime_inexact": ("应为日期，例如 2025-06-12", "must be a date such as 2025-06-12"),
    "date_type": ("应为日期，例如 2025-06-12", "must be a date such as 2025-06-12"),
    "string_pattern_mismatch": ("格式不对", "has the wrong format"),
    "string_too_long": ("太长", "is too long"),
    "string_too_short": ("不能为空", "must not be empty"),
    "missing": ("不能缺少", "is required"),
}


def _validation_error(exc):
    """ninja's ValidationError (a parameter pydantic refused) as our 400."""
    first = exc.errors[0] if exc.errors else {}
    location = [part for part in first.get("loc", ()) if isinstance(part, str)]
    param = location[-1] if location else None
    kind, context = first.get("type", ""), first.get("ctx") or {}
    if kind in ("less_than_equal", "less_than"):
        limit = context.get("le", context.get("lt"))
        zh, en = f"不能大于 {limit}", f"must be at most {limit}"
    elif kind in ("greater_than_equal", "greater_than"):
        limit = context.get("ge", context.get("gt"))
        zh, en = f"不能小于 {limit}", f"must be at least {limit}"
    else:
        zh, en = _PYDANTIC_MESSAGES.get(kind, ("的值无效", "has an invalid value"))
    name = param or "?"
    return bad_parameter(param, f"参数 {name} {zh}。", f"Parameter {name} {en}.")


def install(api):
    """Register the handlers on the NinjaAPI: every error leaves as our JSON, with the
    client's rate-limit headers when the access check got that far."""
    from .access import rate_headers  # access.py raises ApiError: imported once both exist

    def handler(to_error):
        def handle(request, exc):
            response = error_response(to_error(exc))
            client = getattr(request, "api_client", None)
            if client is not None:
                for name, value in rate_headers(client).items():
                    response.headers.setdefault(name, value)
            return response
        return handle

    api.add_exception_handler(ApiError, handler(lambda exc: exc))
    api.add_exception_handler(ValidationError, handler(_validation_error))
    api.add_exception_handler(Http404, handler(lambda exc: not_found()))
    api.add_exception_handler(AuthenticationError, handler(
        lambda exc: ApiError(401, "invalid_key", "API 密钥无效。", "The API key is invalid.")))
    api.add_exception_handler(HttpError, handler(
        lambda exc: ApiError(exc.status_code, "error", "请求无法处理。", str(exc))))


def unknown_path(request, *args, **kwargs):
    """Any /api/ address that is not an endpoint: a JSON 404 (not the site's HTML page)."""
    return error_response(not_found(
        "没有这个 API 地址。接口列表见 /api/v1/docs。",
        "No such API endpoint. See /api/v1/docs for the list.",
    ))
