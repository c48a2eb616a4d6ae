"""The words and hosts that tell what kind of thing a link points to: a paper, code, a blog post...

Lists name a link's kind in its text ("[Paper](...)", "[[GitHub](...)]", "[代码](...)") more often than
the URL shows it, in English and in Chinese. These are data, kept apart from the reading of citations
(`citation.py`) that uses them: a word or a host is added here without reading the code.
"""

from __future__ import annotations

# Link texts that name a kind of link rather than a work ("[Paper](...)", "[[GitHub](...)]").
KIND_WORDS: dict[str, str] = {
    "paper": "paper",
    "papers": "paper",
    "paer": "paper",
    "论文": "paper",
    "article": "paper",
    "tech.report": "paper",
    "tech report": "paper",
    "technical report": "paper",
    "pdf": "pdf",
    "model card": "paper",
    "github": "code",
    "code": "code",
    "repo": "code",
    "repository": "code",
    "source": "code",
    "source code": "code",
    "代码": "code",
    "blog": "blog",
    "blog post": "blog",
    "post": "blog",
    "博客": "blog",
    "model": "model",
    "models": "model",
    "dataset": "dataset",
    "datasets": "dataset",
    "data": "dataset",
    "hugging face datasets": "dataset",
    "site": "site",
    "website": "site",
    "homepage": "site",
    "官方网站": "site",
    "官网": "site",
    "online demo": "site",
    "demo": "site",
    "course": "site",
    "link": "site",
    "project page": "site",
}
# Hosts whose links are read as blog posts (as is any link whose host or path says "blog").
BLOG_HOSTS = (
    "zhihu.com",
    "medium.com",
    "notion.site",
    "substack.com",
    "mp.weixin.qq.com",
    "spaces.ac.cn",
    "lilianweng.github.io",
    "huyenchip.com",
    "towardsdatascience.com",
)
