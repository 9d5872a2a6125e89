"""Media and private files in S3-compatible object storage (django-storages),
against a real S3 API on this machine (moto's server): media private in its
bucket and shown by signed addresses, private files in a bucket of their
own, never with an address."""

import socket
import time
from urllib.parse import parse_qs, urlsplit

import boto3
import environ
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.db.models import FileField
from django.db.models.fields.files import FieldFile
from moto.server import ThreadedMotoServer

from lms.backups import local_media_folders, media_elsewhere
from lms.files import PrivateStorage, serve_private
from lms.settings.base import object_storage

pytestmark = pytest.mark.backend_independent

MEDIA, PRIVATE = "lc-media", "lc-private"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint, monkeypatch, settings):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "MEDIA_S3_BUCKET": MEDIA,
        "MEDIA_S3_PRIVATE_BUCKET": PRIVATE,
        "MEDIA_S3_ENDPOINT_URL": s3_endpoint,
        "MEDIA_S3_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    for bucket in (MEDIA, PRIVATE):
        client.create_bucket(Bucket=bucket)
    settings.STORAGES = {**settings.STORAGES, **object_storage(environ.Env())}
    yield client
    for bucket in (MEDIA, PRIVATE):
        for item in client.list_objects_v2(Bucket=bucket).get("Contents", []):
            client.delete_object(Bucket=bucket, Key=item["Key"])
        client.delete_bucket(Bucket=bucket)


def test_without_a_bucket_media_stays_on_disk(monkeypatch):
    monkeypatch.delenv("MEDIA_S3_BUCKET", raising=False)
    assert object_storage(environ.Env()) == {}
    assert set(local_media_folders()) == {"media", "private-media"}


@pytest.mark.parametrize("private_bucket", ["", MEDIA])
def test_private_files_need_a_bucket_of_their_own(monkeypatch, private_bucket):
    monkeypatch.setenv("MEDIA_S3_BUCKET", MEDIA)
    monkeypatch.setenv("MEDIA_S3_PRIVATE_BUCKET", private_bucket)
    with pytest.raises(ImproperlyConfigured, match="second bucket"):
        object_storage(environ.Env())


def test_media_goes_to_its_bucket_private_and_is_shown_by_signed_address(
    s3, s3_endpoint
):
    """A document of a private collection must not be readable by its name
    (Wagtail serves documents through its own view): nothing is public."""
    name = default_storage.save("documents/budget.pdf", ContentFile(b"pdf"))
    assert s3.get_object(Bucket=MEDIA, Key=name)["Body"].read() == b"pdf"
    grants = s3.get_object_acl(Bucket=MEDIA, Key=name)["Grants"]
    assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers
    url = default_storage.url(name)
    assert url.startswith(f"{s3_endpoint}/{MEDIA}/{name}?")
    query = parse_qs(urlsplit(url).query)
    assert query["Signature"]
    assert 3590 < int(query["Expires"][0]) - time.time() <= 3600  # an hour


def test_a_private_file_goes_to_the_private_bucket_with_no_address(s3):
    private = PrivateStorage()
    name = private.save("coaching/notes.pdf", ContentFile(b"%PDF secret"))
    assert s3.get_object(Bucket=PRIVATE, Key=name)["Body"].read() == b"%PDF secret"
    assert not s3.list_objects_v2(Bucket=MEDIA).get("KeyCount")
    grants = s3.get_object_acl(Bucket=PRIVATE, Key=name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # owner
    assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers
    with pytest.raises(ValueError, match="no URL"):
        private.url(name)
    # The view that checked who asks streams it.
    field_file = FieldFile(None, FileField(storage=private, name="file"), name)
    response = serve_private(field_file)
    assert b"".join(response.streaming_content) == b"%PDF secret"
    assert response["Cache-Control"] == "private, no-store"


def test_backups_say_media_in_buckets_is_not_in_the_archive(s3):
    assert type(storages["private"]).__name__ == "PrivateS3Storage"
    assert local_media_folders() == {}
    assert media_elsewhere() == ["media", "private-media"]
