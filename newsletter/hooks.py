"""The newsletter's part of a person's data, through the same hooks plugins
answer: a sign-up under any of the person's proven addresses is theirs."""

from django.db.models import Q

from lms.hookspecs import hookimpl
from lms.personal_data import addresses_of
from newsletter.models import Subscriber


def _subscriptions(user):
    addresses = addresses_of(user)
    return Subscriber.objects.filter(
        Q.create([("email__iexact", address) for address in addresses], "OR")
    )


@hookimpl
def lms_export_user_data(user):
    return {
        "subscriptions": [
            {
                "email": subscriber.email,
                "name": subscriber.name,
                "language": subscriber.language,
                "signed_up": subscriber.created_at,
                "confirmed": subscriber.confirmed_at,
                "unsubscribed": subscriber.unsubscribed_at,
            }
            for subscriber in _subscriptions(user)
        ]
    }


@hookimpl(trylast=True)
def lms_erase_user_data(user):
    _subscriptions(user).delete()
