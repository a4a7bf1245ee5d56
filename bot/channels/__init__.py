"""One adapter per platform: platform updates in, rendered Replies out."""
