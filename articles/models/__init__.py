"""The newsroom's data, one module per concept; this package is their public surface.

    unions      UnionBody and UnionDirectory (the one reader of the union tree)
    reporters   Reporter (the roster)
    photos      Photo (rows; files are made by articles/photos)
    articles    Article, its querysets (published() …), Byline, ArticleUnionBody, ArticlePhoto
    events      ArticleEvent (the log of every transition and review opinion; append-only)
    review      ReviewLevel, ReviewerGroup, ReviewPolicy (三审三校 as data), SetupVersion
    checks      WordList, ListedWord (the 机审 word lists)
    editorial   EditorScope, EditorialComment, ShareLink, Correction
    search      SearchEntry, SearchTerm (rows; segmenting is articles/search)
    epaper      Issue (期), Page (版), Placement (a story's regions on a page)
    api         ApiKey, ApiKeyUsage, RemovedStory (the read API's rows; the API is articles/api)
"""

from .api import ApiKey, ApiKeyUsage, RemovedStory
from .articles import (
    Article,
    ArticlePhoto,
    ArticleQuerySet,
    ArticleUnionBody,
    Byline,
    StoryDeletionRefused,
    attach_lead_photos,
)
from .checks import ListedWord, WordList
from .editorial import Correction, EditorialComment, EditorScope, ShareLink
from .epaper import Issue, Page, Placement, validate_regions
from .events import ArticleEvent, EventLogIsAppendOnly
from .photos import Photo
from .reporters import Reporter
from .review import ReviewerGroup, ReviewLevel, ReviewPolicy, SetupVersion
from .search import SearchEntry, SearchTerm
from .unions import UnionBody, UnionDirectory, ascii_slug

__all__ = [
    "ApiKey", "ApiKeyUsage", "Article", "ArticleEvent", "ArticlePhoto", "ArticleQuerySet",
    "ArticleUnionBody", "Byline", "Correction", "EditorScope", "EditorialComment",
    "EventLogIsAppendOnly", "Issue", "ListedWord", "Page", "Photo", "Placement", "RemovedStory",
    "Reporter", "ReviewLevel", "ReviewPolicy", "ReviewerGroup", "SearchEntry", "SearchTerm", "SetupVersion",
    "ShareLink", "StoryDeletionRefused", "UnionBody", "UnionDirectory", "WordList", "ascii_slug",
    "attach_lead_photos", "validate_regions",
]
