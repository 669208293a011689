//! Reports: from the web form, the API and inbound `Flag`s; forwarding to the content's home server as a `Flag` of the instance actor.
