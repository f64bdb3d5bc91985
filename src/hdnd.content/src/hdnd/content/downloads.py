"""Answering with a file to save (generated documents, Excel sheets,
packages, the audit CSV): one place for the headers."""


def attachment(response, data, filename, mimetype):
    response.setHeader("Content-Type", mimetype)
    response.setHeader("Content-Disposition", f'attachment; filename="{filename}"')
    response.setHeader("Content-Length", str(len(data)))
    return data
