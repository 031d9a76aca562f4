from django.conf import settings


def site(request):
    return {
        "site_name": settings.ESSAIM_SITE_NAME,
        # Régions share two-digit codes with départements; their URL key says which.
        "home_region_code": f"region-{settings.ESSAIM_REGION}",
    }
