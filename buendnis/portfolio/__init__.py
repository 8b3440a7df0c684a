"""§ 6: the ministry's portfolio across its agreements (and a partner's across its own)."""
