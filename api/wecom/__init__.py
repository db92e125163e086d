"""The WeCom (企业微信) adapter: callback crypto, message parsing, API client, dispatch."""
