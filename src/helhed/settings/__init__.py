"""Settings profiles: ``embedded`` (the default) and ``server``; ``test`` for the suite.

Every value a deployment changes comes from an environment variable (see ``env.py``);
``docs/running.md`` lists them.
"""
