"""One router per resource, named as the questions."""
