"""A poster's talk: comments, people's-choice votes, contacting the presenter, statistics."""
