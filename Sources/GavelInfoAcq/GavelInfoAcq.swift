// Information acquisition from several agents: scoring-rule mechanisms, see docs/infoacq.md.
