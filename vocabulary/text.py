"""How the vocabulary compares a label with a keyword or a query's words."""

from search.analysis import LANGUAGES, STOP_WORDS, fold, words


def content_words(text):
    """``text``'s words folded, without the stop words of any language, as a tuple: what a label
    and a query are compared by ("traite des êtres humains" is ``("traite", "etres",
    "humains")``)."""
    folded = (fold(word) for word in words(text))
    return tuple(
        word for word in folded if word and not any(word in STOP_WORDS[code] for code in LANGUAGES)
    )
