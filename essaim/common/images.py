"""Images uploaded by people: checked, re-encoded and stripped before they are stored.

Re-encoding with Pillow drops EXIF (phones put GPS positions there), applies the EXIF
orientation, refuses decompression bombs and files that are not really images, and
bounds the size the site serves.
"""

import io
import uuid

from django import forms
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # past this, Pillow's decoding would take too much memory
LONG_SIDE = 1600
ACCEPTED = {"JPEG", "PNG", "WEBP", "GIF"}


class ImageRejected(ValueError):
    """The upload is not an image we accept; the message says why, in French."""


def normalise(upload) -> ContentFile:
    """A clean JPEG (or PNG when the image has transparency) from ``upload``."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ImageRejected(_("L'image dépasse 10 Mo."))
    image = _open(upload)
    image = ImageOps.exif_transpose(image)
    image.thumbnail((LONG_SIDE, LONG_SIDE))
    transparent = image.mode in ("RGBA", "LA", "P") and "A" in image.convert("RGBA").getbands()
    out = io.BytesIO()
    if transparent and image.mode != "RGB":
        image.convert("RGBA").save(out, "PNG", optimize=True)
        extension = "png"
    else:
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True, progressive=True)
        extension = "jpg"
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")


def _open(upload) -> Image.Image:
    upload.seek(0)
    try:
        image = Image.open(upload)
        if image.format not in ACCEPTED:
            raise ImageRejected(_("Formats acceptés : JPEG, PNG, WebP, GIF."))
        if image.width * image.height > MAX_PIXELS:
            raise ImageRejected(_("L'image a trop de pixels (40 millions au plus)."))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ImageRejected(_("Ce fichier n'est pas une image lisible.")) from error
    return image


class UploadedImageField(forms.ImageField):
    """A form field whose cleaned value is the normalised image (see ``normalise``)."""

    widget = forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"})

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if value and hasattr(value, "content_type"):  # a new upload, not the stored file
            try:
                return normalise(value)
            except ImageRejected as error:
                raise forms.ValidationError(str(error), code="invalid_image") from None
        return value
