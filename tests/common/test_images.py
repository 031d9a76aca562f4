"""Uploaded images are re-encoded: no metadata, bounded size, only real images."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from essaim.common.images import ImageRejected, normalise


def upload(fmt="JPEG", size=(3000, 2000), mode="RGB", exif=None, name="photo.jpg"):
    buffer = io.BytesIO()
    image = Image.new(mode, size, "green")
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, fmt, **kwargs)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (47.0, 23.0, 0.0)}  # GPSInfo
    return exif


def test_big_photo_is_downscaled_and_loses_its_gps_metadata():
    clean = Image.open(normalise(upload(exif=gps_exif())))
    assert clean.format == "JPEG" and clean.size == (1600, 1067)
    assert dict(clean.getexif()) == {}


def test_transparent_png_stays_png():
    clean = Image.open(normalise(upload("PNG", (40, 40), "RGBA", name="logo.png")))
    assert clean.format == "PNG" and clean.mode == "RGBA" and clean.size == (40, 40)


def test_a_text_file_named_jpg_is_refused_by_name():
    fake = SimpleUploadedFile("photo.jpg", b"<script>alert(1)</script>", "image/jpeg")
    with pytest.raises(ImageRejected, match="pas une image lisible"):
        normalise(fake)


def test_unaccepted_format_is_refused():
    with pytest.raises(ImageRejected, match="Formats acceptés"):
        normalise(upload("TIFF", (10, 10), name="scan.tif"))


def test_stored_name_is_random_not_the_uploaded_one():
    assert normalise(upload(name="../../etc/passwd.jpg")).name.endswith(".jpg")
    assert "passwd" not in normalise(upload(name="passwd.jpg")).name
