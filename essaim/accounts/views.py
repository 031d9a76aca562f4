from django.shortcuts import render


def profile(request, **kwargs):
    # Placeholder owned by the accounts app: replaced as the app is built.
    return render(request, "base.html", {"title": ""})
