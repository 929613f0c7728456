"""Public URLs. Every view starts from Article.objects.published()."""

from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.FrontPageView.as_view(), name="front"),
    path("articles/<int:pk>/", views.ArticleDetailView.as_view(), name="article_detail"),
    path("unions/<slug:slug>/", views.UnionBodyDetailView.as_view(), name="union_detail"),
    path("reporters/<slug:slug>/", views.ReporterDetailView.as_view(), name="reporter_detail"),
    path("photos/", views.PhotoNewsView.as_view(), name="photo_list"),
]
