"""Photos of published stories: their public copy, renditions, caption and credit."""

from ninja import Query, Router

from ..selectors import api as selectors
from . import params as p
from . import present
from .errors import not_found
from .responses import answer
from .schemas import Photo, PhotoPage
from .stories import ERRORS

router = Router(tags=["图片"])


def _photo(request, photo):
    stories = [link.article for link in photo.published_links]
    return present.photo_data(request, photo, stories=stories)


@router.get(
    "/photos", response={200: PhotoPage, **ERRORS}, url_name="photos", summary="图片",
    description="出现在已发布稿件中的图片，最新上传的在前，每张带用到它的稿件。"
                "只给公开图片与各尺寸版本；原件（含 EXIF/GPS）从不公开。",
)
def photo_list(request, params: Query[p.PhotoParams]):
    p.reject_unknown(request, p.PhotoParams)

    def build():
        rows = selectors.photos(p.cursor(params), params.limit)
        shown = rows[: params.limit]
        following = None
        if len(rows) > params.limit:
            last = shown[-1]
            following = present.next_url(request, before=present.local(last.created_at).isoformat(),
                                         before_id=last.pk)
        return {"items": [_photo(request, photo) for photo in shown], "next": following}

    return answer(request, PhotoPage, build)


@router.get(
    "/photos/{int:photo_id}", response={200: Photo, **ERRORS}, url_name="photo", summary="一张图片",
    description="只有出现在已发布稿件中的图片；其他一律 404。",
)
def photo_detail(request, photo_id: int):
    p.reject_unknown(request, None)

    def build():
        photo = selectors.photo(p.object_id(photo_id))
        if photo is None:
            raise not_found("没有这张图片。", "No such photo.")
        return _photo(request, photo)

    return answer(request, Photo, build)
