from django.urls import path

from kiosque.moderation import views

app_name = "moderation"
# In every interface language (included under the portal's language prefixes, before the portal's own
# patterns, whose last one takes any top-level slug).
urlpatterns = [
    path("images/<int:image_id>/report/", views.report_page, name="report"),
]
# The JSON endpoint, without a language prefix, like the rest of the API.
api_urlpatterns = [
    path("images/<int:image_id>/report", views.report_api, name="report-api"),
]
