from django.shortcuts import render


def results(request, **kwargs):
    # Placeholder owned by the search app: replaced as the app is built.
    return render(request, "base.html", {"title": "Recherche"})
