"""The project's URLs plus a bare page for the load benchmark (``bench/load.py``).

Used only when ``DJANGO_BENCH_URLS=1`` (``ROOT_URLCONF`` in settings/base.py): production
never serves ``/bench/bare/``. The bare view renders a template and touches no database
(no session, no user), so the benchmark can report every page's figures as a ratio of it.
"""
from django.shortcuts import render
from django.urls import path

from tongxiang.urls import urlpatterns as project_urlpatterns


def bare(request):
    return render(request, "bench/bare.html", {"items": range(20)})


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), *project_urlpatterns]
