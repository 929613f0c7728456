"""Photos of published stories: their public copy, renditions, caption and credit."""

from ninja import Query, Router

from ..selectors import api as selectors
from . import params as p
from . import present
from .responses import answer, answer_one
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
        return present.page(request, rows, params.limit, lambda photo: _photo(request, photo),
                            present.time_cursor("created_at"))

    return answer(request, PhotoPage, build)


@router.get(
    "/photos/{int:photo_id}", response={200: Photo, **ERRORS}, url_name="photo", summary="一张图片",
    description="只有出现在已发布稿件中的图片；其他一律 404。",
)
def photo_detail(request, photo_id: int):
    p.reject_unknown(request, None)

    return answer_one(request, Photo, lambda: selectors.photo(p.object_id(photo_id)),
                      lambda photo: _photo(request, photo), ("没有这张图片。", "No such photo."))
