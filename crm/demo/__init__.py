"""The deterministic demo workspace: 云启科技 selling to Chinese B2B customers."""
