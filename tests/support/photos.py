"""A photo as a phone takes it: JPEG with EXIF that names the camera and where it was taken
(GPS), each with a canary string, so a test can show the metadata never leaves the page."""

from __future__ import annotations

import io

from PIL import Image

GPS_IFD = 0x8825
IMAGE_DESCRIPTION, MAKE, MODEL = 0x010E, 0x010F, 0x0110
GPS_LATITUDE_REF, GPS_LATITUDE, GPS_LONGITUDE_REF, GPS_LONGITUDE = 1, 2, 3, 4
GPS_MAP_DATUM = 0x12


def photo_with_gps(canary: str, size: tuple[int, int] = (96, 64)) -> bytes:
    """A JPEG whose EXIF holds `canary` (description, camera, GPS datum) and a position."""
    image = Image.new("RGB", size)
    for x in range(size[0]):
        for y in range(size[1]):
            image.putpixel((x, y), (x * 2 % 256, y * 3 % 256, 120))
    exif = Image.Exif()
    exif[IMAGE_DESCRIPTION] = f"description {canary}"
    exif[MAKE] = f"make {canary}"
    exif[MODEL] = "Phone"
    gps = exif.get_ifd(GPS_IFD)
    gps[GPS_LATITUDE_REF] = "N"
    gps[GPS_LATITUDE] = (52.0, 5.0, 30.0)
    gps[GPS_LONGITUDE_REF] = "E"
    gps[GPS_LONGITUDE] = (4.0, 53.0, 10.0)
    gps[GPS_MAP_DATUM] = f"datum {canary}"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=90)
    return out.getvalue()


def has_gps(data: bytes) -> bool:
    """Whether the image's EXIF holds a GPS directory (with anything in it)."""
    exif = Image.open(io.BytesIO(data)).getexif()
    return bool(exif.get_ifd(GPS_IFD))
