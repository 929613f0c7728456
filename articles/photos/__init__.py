"""The photo library's files: checking uploads, the public copy and its renditions,
the private originals, and CKEditor's upload and browse views.

    processing      prepare_upload → save_prepared; ingest_photo(s); rebuild_photo; Rendition
    storage         originals_storage (outside MEDIA_ROOT, never served)
    editor_uploads  the story editor's image upload and browse, through the library
"""

from .processing import (
    Rendition,
    configure_pillow,
    ingest_photo,
    ingest_photos,
    prepare_upload,
    rebuild_photo,
    save_prepared,
)

__all__ = [
    "Rendition", "configure_pillow", "ingest_photo", "ingest_photos", "prepare_upload",
    "rebuild_photo", "save_prepared",
]
