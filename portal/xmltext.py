"""Text that XML 1.0 can carry.

XML 1.0 allows only ``#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]``
(https://www.w3.org/TR/xml/#charsets); Django's XML writer refuses control characters with an
exception, and lxml refuses them too, so every text a feed or the OAI-PMH repository writes goes
through ``xml_safe`` first.
"""

import re

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text):
    """``text`` without the characters XML 1.0 cannot carry: C0 controls other than tab, newline
    and carriage return, lone surrogates, U+FFFE and U+FFFF. ``None`` stays ``None``; anything
    else is turned into a string first (lazy translations included).
    """
    if text is None:
        return None
    return _NOT_XML.sub("", str(text))
