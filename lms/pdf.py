"""HTML to PDF (WeasyPrint) for certificates and reports.

WeasyPrint gets no way to fetch anything: the documents are their HTML
alone, so no text a person wrote can make it read a local file or an
address (a stylesheet, an image, a font by URL)."""


def html_to_pdf(html: str) -> bytes:
    # Heavy; only needed for a download.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class FetchNothing(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"PDFs here fetch nothing ({url[:80]}).")

    return HTML(string=html, url_fetcher=FetchNothing()).write_pdf()
