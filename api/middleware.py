"""The API answers in the language its caller asks for."""

from django.utils import translation


class APILanguageMiddleware:
    """`/api/` lies outside the site's language prefixes, where
    LocaleMiddleware gives every unprefixed address the main language; an
    app asks for its person's language with Accept-Language (a session on
    the site, with its language cookie). LocaleMiddleware, outside this one,
    still adds `Content-Language` and `Vary: Accept-Language`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):
            translation.activate(translation.get_language_from_request(request))
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
