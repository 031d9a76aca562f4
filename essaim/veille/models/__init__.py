from essaim.veille.models.digests import Digest, DigestSubscription
from essaim.veille.models.items import Item, ItemMention, KeywordRule
from essaim.veille.models.picks import Pick
from essaim.veille.models.sources import Source

__all__ = ["Digest", "DigestSubscription", "Item", "ItemMention", "KeywordRule", "Pick", "Source"]
