"""The page's address: the encoded path, decoded on request."""

from lepta import Location, Owner, provide_context, use_location, use_nonce
from lepta.view import PageNonce


def test_the_path_stays_encoded_and_decodes_on_request():
    here = Location("/caf%C3%A9/a%2Fb/x%20y", "q=1")
    assert here.path == "/caf%C3%A9/a%2Fb/x%20y"
    assert here.decoded_path == "/café/a/b/x y"
    assert here.segments == ["café", "a/b", "x y"]


def test_an_encoded_slash_is_not_a_slash_in_the_segments():
    assert Location("/a%2Fb").segments == ["a/b"]
    assert Location("/a/b").segments == ["a", "b"]
    assert Location("/a%2Fb").decoded_path == Location("/a/b").decoded_path


def test_broken_escapes_are_kept_and_invalid_utf8_becomes_a_replacement_character():
    assert Location("/100%").decoded_path == "/100%"
    assert Location("/%zz%4").decoded_path == "/%zz%4"
    assert Location("/%FFok").decoded_path == "/\ufffdok"
    assert Location("/%C3%A9%E2%82").segments == ["é\ufffd\ufffd"]


def test_use_location_and_use_nonce_read_what_the_page_provided():
    with Owner():
        assert use_location().path == "/"
        assert use_nonce() is None
        provide_context(Location("/users/3", "tab=1"))
        provide_context(PageNonce("abc"))
        assert use_location().path == "/users/3"
        assert use_nonce() == "abc"
