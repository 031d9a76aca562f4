from django.shortcuts import render


def go(request, **kwargs):
    # Placeholder owned by the territories app: replaced as the app is built.
    return render(request, "base.html", {"title": "Territoires"})


def autocomplete(request, **kwargs):
    # Placeholder owned by the territories app: replaced as the app is built.
    return render(request, "base.html", {"title": ""})
