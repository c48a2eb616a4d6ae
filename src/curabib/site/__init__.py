"""A static bibliography site for every list (`curabib site`): an index of the lists and one page per list,
each work with its formatted reference, badges, links and a Cite dialog, filtered in the browser.

Pure, like the other stages: `build.site_files` turns the lists and the fetched records into the site's
files (paths and bytes); `curabib.project.site` reads the style and the static assets and writes them.
"""
