from setuptools import find_namespace_packages
from setuptools import setup


setup(
    name="hdnd.policy",
    version="0.1.0.dev0",
    description=(
        "The hdnd site: the profile that installs everything, roles and groups, "
        "registry settings, site structure, Vietnamese defaults, demo data, "
        "upgrade steps and the command line."
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
    packages=find_namespace_packages("src", include=["hdnd.*"]),
    include_package_data=True,
    zip_safe=False,
    python_requires=">=3.11",
    install_requires=[
        "Plone",
        "plone.api",
        "plone.app.registry",
        "plone.restapi",
        "pyotp",  # the second factor (TOTP)
        "zxcvbn",  # password strength (passwords.py)
        "requests",  # hdnd sync
        "segno",  # the enrolment QR code
        "collective.documentgenerator",
        "hdnd.content",
        "setuptools<82",
        "waitress",
    ],
    extras_require={
        # Directory sign-in (LDAP / Active Directory, directory.py). python-ldap
        # builds with a compiler and libldap2-dev, libsasl2-dev: `make ldap`.
        "ldap": ["pas.plugins.ldap"],
    },
    entry_points={"z3c.autoinclude.plugin": ["target = plone"]},
)
