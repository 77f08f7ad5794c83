// Position auctions inside AI-generated content (MNL and cascade click models): see docs/aigc.md.
