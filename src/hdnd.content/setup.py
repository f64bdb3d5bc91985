from setuptools import find_namespace_packages
from setuptools import setup


setup(
    name="hdnd.content",
    version="0.1.0.dev0",
    description=(
        "The domain of hdnd: dossiers, official documents with numbering, "
        "directives and tasks, meetings, forms, work programme."
    ),
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    classifiers=[
        "Framework :: Plone",
        "Framework :: Plone :: 6.2",
        "Programming Language :: Python :: 3.11",
    ],
    license="GPL-2.0-or-later",
    package_dir={"": "src"},
    # hdnd is a native (PEP 420) namespace: there is no src/hdnd/__init__.py.
    packages=find_namespace_packages("src", include=["hdnd.*"]),
    include_package_data=True,
    zip_safe=False,
    python_requires=">=3.11",
    install_requires=[
        "Products.CMFPlone",
        "collective.documentgenerator",
        "openpyxl",
        # PAdES signatures of issued documents and checks of received ones;
        # opentype: Vietnamese in the signature block; pkcs11: keys on tokens.
        "pyHanko[opentype,pkcs11]",
        "signxml",  # XML-DSig of edXML envelopes
        # Transfer packages: the schemas they are written to and checked against,
        # as the packages that keep them ship them (METS: metsrw; EAD 2002 and XLink: eadator).
        "metsrw",
        "eadator",
        "plone.api",
        "plone.app.dexterity",
        "plone.app.relationfield",
        "plone.restapi",
        # Requests to hdnd's services checked against their OpenAPI description (openapi.py).
        "jsonschema",
        "setuptools<82",
    ],
    entry_points={"z3c.autoinclude.plugin": ["target = plone"]},
)
