"""What the publications module does when a person deletes their account."""

from django.db.models import Q

from essaim.publications.models import ArticleAuthor, ArticlePage


def remove_contributions(user) -> int:
    """Account deletion, "remove my contributions": the articles they own and wrote alone
    (no other author named, no revision by anyone else) are deleted; on the others, their
    name leaves the byline. Returns how many articles were deleted."""
    removed = 0
    for article in ArticlePage.objects.filter(owner=user):
        if sole_author(article, user):
            article.delete()
            removed += 1
    ArticleAuthor.objects.filter(user=user).delete()
    return removed


def sole_author(article: ArticlePage, user) -> bool:
    others = ArticleAuthor.objects.filter(page=article).filter(
        ~Q(user=user) | ~Q(guest_name="")
    )  # fmt: skip
    edited = article.revisions.exclude(user=user).exclude(user__isnull=True)
    return not others.exists() and not edited.exists()
