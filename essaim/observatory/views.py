from django.shortcuts import render


def territory(request, **kwargs):
    # Placeholder owned by the observatory app: replaced as the app is built.
    return render(request, "base.html", {"title": ""})


def theme_list(request, **kwargs):
    # Placeholder owned by the observatory app: replaced as the app is built.
    return render(request, "base.html", {"title": ""})


def theme(request, **kwargs):
    # Placeholder owned by the observatory app: replaced as the app is built.
    return render(request, "base.html", {"title": ""})
